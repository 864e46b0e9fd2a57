/** A text sink that keeps what was written. */
export class Capture {
  text = "";

  write = (chunk: string): boolean => {
    this.text += chunk;
    return true;
  };

  lines(): string[] {
    return this.text.split("\n").filter((l) => l.length > 0);
  }
}
