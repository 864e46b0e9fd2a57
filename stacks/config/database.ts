/** Reads the primary's RDS database settings; the password is checked without ever being shown. */
import { ConfigReader } from "./reader";
import { DatabaseSettings } from "./settings";

/** The RDS database of the primary stack. */
export function readDatabase(reader: ConfigReader): DatabaseSettings {
  const password = reader.optional("dbPassword");
  if (password !== undefined && (!/^[\x21-\x7e]{8,128}$/.test(password) || /[/"@]/.test(password))) {
    // The value is a secret: the message shows where the problem is, never the value.
    reader.problem(
      "dbPassword",
      "[secret]",
      'must be 8 to 128 printable ASCII characters other than /, ", @ and space',
    );
  }
  return {
    engine: reader.oneOf("dbEngine", ["postgres", "mysql", "mariadb"] as const),
    engineVersion: reader.string("dbEngineVersion", {
      pattern: /^\d+(\.\d+)*$/,
      rule: "must be a version such as 16 or 16.4",
    }),
    instanceClass: reader.string("dbInstanceClass", {
      pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/,
      rule: "must be an RDS instance class such as db.t3.medium",
    }),
    allocatedStorage: reader.integer("dbAllocatedStorage", 20, 65536),
    multiAz: reader.boolean("dbMultiAz"),
    name: reader.string("dbName", {
      pattern: /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
      rule: "must start with a letter and hold only letters, digits and _ (at most 63)",
    }),
    username: reader.string("dbUsername", {
      pattern: /^[A-Za-z][A-Za-z0-9_]{0,15}$/,
      rule: "must start with a letter and hold only letters, digits and _ (at most 16)",
    }),
    password,
  };
}
