// The provider's rules for the database credential secrets, each fed a bad value.
import { expect } from "chai";
import { checkResource } from "./checker";
import { constraintTable } from "./constraints";
import { RecordedResource } from "./registrations";

function messages(type: string, inputs: Record<string, unknown>): string[] {
  const resource: RecordedResource = { source: "test", type, name: "app-db-credential", inputs };
  const constraints = constraintTable().get(type);
  if (!constraints) throw new Error(`no constraints for ${type}`);
  return checkResource(resource, constraints).map((v) => v.message);
}

const SECRET = "aws:secretsmanager/secret:Secret";
const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const AT = (type: string) => `test: ${type} "app-db-credential"`;

describe("provider constraints: Secrets Manager secrets (internal/service/secretsmanager)", () => {
  it("passes the stacks' secret: a name of the allowed characters", () => {
    expect(messages(SECRET, { name: "dr-app-dr-app-db-credential", region: "us-west-2" })).to.deep.equal([]);
  });

  it("refuses a name prefix with a character outside /_+=.@- and alphanumerics", () => {
    expect(messages(SECRET, { namePrefix: "dr app:credential-" })).to.deep.equal([
      `${AT(SECRET)}: namePrefix = "dr app:credential-" only alphanumeric characters and /_+=.@- special characters are allowed breaks StringMatch(namePrefix, /^[0-9A-Za-z/_+=.@-]+$/) (terraform-provider-aws internal/service/secretsmanager/secret.go, validate.go)`,
    ]);
  });

  it("refuses a name prefix longer than 486 characters (512 less the generated suffix)", () => {
    const found = messages(SECRET, { namePrefix: "a".repeat(487) });
    expect(found).to.have.length(1);
    expect(found[0]).to.match(
      /namePrefix = "a+\.\.\. has 487 characters, outside 0-486 breaks StringLenBetween\(namePrefix, 0, 486\)/,
    );
  });

  it("refuses name and namePrefix together", () => {
    expect(messages(SECRET, { name: "app", namePrefix: "app-" })).to.have.length(1);
    expect(messages(SECRET, { name: "app", namePrefix: "app-" })[0]).to.contain("ConflictsWith(name");
  });

  it("refuses a version with both a string and a binary value", () => {
    const found = messages(VERSION, { secretId: "arn", secretString: "{}", secretBinary: "e30=" });
    expect(found.some((m) => m.includes("ConflictsWith(secretBinary"))).to.equal(true);
    expect(messages(VERSION, { secretId: "arn", secretString: "{}" })).to.deep.equal([]);
  });
});
