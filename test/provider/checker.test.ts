import { expect } from "chai";
import { checkResource } from "./checker";
import { RecordedResource } from "./registrations";
import { Rule, TypeConstraints } from "./rules";

const FILE = "internal/service/example/thing.go";

/** The messages one rule gives for one resource's inputs. */
function messages(rule: Rule, inputs: Record<string, unknown>, options: Partial<TypeConstraints> = {}) {
  const resource: RecordedResource = {
    source: "test",
    type: "aws:example/thing:Thing",
    name: "thing",
    inputs,
  };
  return checkResource(resource, { type: resource.type, file: FILE, rules: [rule], ...options }).map(
    (v) => v.message,
  );
}

const AT = 'test: aws:example/thing:Thing "thing"';
const CITE = `(terraform-provider-aws ${FILE})`;

describe("provider constraint checker", () => {
  it("ExactlyOneOf: both set, and none set; one set passes", () => {
    const rule: Rule = { kind: "ExactlyOneOf", paths: ["arns", "conditions"] };
    expect(messages(rule, { arns: ["*"], conditions: { a: 1 } })).to.deep.equal([
      `${AT}: 2 are set: arns = ["*"]; conditions = {"a":1} breaks ExactlyOneOf(arns, conditions) ${CITE}`,
    ]);
    expect(messages(rule, {})).to.deep.equal([
      `${AT}: none is set breaks ExactlyOneOf(arns, conditions) ${CITE}`,
    ]);
    expect(messages(rule, { arns: ["*"] })).to.deep.equal([]);
  });

  it("ConflictsWith: both set fails, in each element of a list of blocks", () => {
    const rule: Rule = { kind: "ConflictsWith", path: "prefix", with: ["filter"], within: "rules[]" };
    expect(
      messages(rule, { rules: [{ prefix: "a/" }, { prefix: "b/", filter: { prefix: "b/" } }] }),
    ).to.deep.equal([
      `${AT}: rules[1]: both set: rules[1].prefix = "b/"; rules[1].filter = {"prefix":"b/"} breaks ConflictsWith(prefix -> filter) in each rules[] ${CITE}`,
    ]);
  });

  it("AtLeastOneOf: none set fails", () => {
    const rule: Rule = { kind: "AtLeastOneOf", paths: ["size", "snapshotId"] };
    expect(messages(rule, { type: "gp3" })).to.deep.equal([
      `${AT}: none is set breaks AtLeastOneOf(size, snapshotId) ${CITE}`,
    ]);
    expect(messages(rule, { size: 20 })).to.deep.equal([]);
  });

  it("RequiredWith: set without its companion fails", () => {
    const rule: Rule = { kind: "RequiredWith", path: "ttl", with: ["records"] };
    expect(messages(rule, { ttl: 60 })).to.deep.equal([
      `${AT}: ttl = 60 but records unset breaks RequiredWith(ttl -> records) ${CITE}`,
    ]);
    expect(messages(rule, { ttl: 60, records: ["1.2.3.4"] })).to.deep.equal([]);
  });

  it("StringLenBetween: counts characters of every element", () => {
    const rule: Rule = { kind: "StringLenBetween", path: "rules[].ruleName", min: 1, max: 5 };
    expect(messages(rule, { rules: [{ ruleName: "daily" }, { ruleName: "hourly" }] })).to.deep.equal([
      `${AT}: rules[1].ruleName = "hourly" has 6 characters, outside 1-5 breaks StringLenBetween(rules[].ruleName, 1, 5) ${CITE}`,
    ]);
  });

  it("StringMatch: reports the provider's message", () => {
    const rule: Rule = {
      kind: "StringMatch",
      path: "name",
      pattern: /^[0-9A-Za-z_]+$/,
      message: "only letters",
    };
    expect(messages(rule, { name: "RDS-selection" })).to.deep.equal([
      `${AT}: name = "RDS-selection" only letters breaks StringMatch(name, /^[0-9A-Za-z_]+$/) ${CITE}`,
    ]);
  });

  it("StringInSlice: case-sensitive unless the provider ignores case", () => {
    const rule: Rule = { kind: "StringInSlice", path: "protocol", values: ["email", "sqs"] };
    expect(messages(rule, { protocol: "Email" })).to.deep.equal([
      `${AT}: protocol = "Email" is not one of email, sqs breaks StringInSlice(protocol, email|sqs) ${CITE}`,
    ]);
    expect(messages({ ...rule, ignoreCase: true }, { protocol: "Email" })).to.deep.equal([]);
  });

  it("IntBetween and IntAtLeast", () => {
    expect(messages({ kind: "IntBetween", path: "hours", min: 1, max: 168 }, { hours: 200 })).to.deep.equal([
      `${AT}: hours = 200 is outside 1-168 breaks IntBetween(hours, 1, 168) ${CITE}`,
    ]);
    expect(messages({ kind: "IntBetween", path: "days", min: 3 }, { days: 1 })).to.deep.equal([
      `${AT}: days = 1 is less than 3 breaks IntAtLeast(days, 3) ${CITE}`,
    ]);
    expect(messages({ kind: "IntBetween", path: "days", min: 3 }, { days: 2.5 })).to.deep.equal([
      `${AT}: days = 2.5 is not a whole number breaks IntAtLeast(days, 3) ${CITE}`,
    ]);
  });

  it("IntInSliceOrDivisibleBy: a listed value or a multiple passes", () => {
    const rule: Rule = { kind: "IntInSliceOrDivisibleBy", path: "period", values: [10, 20, 30], divisor: 60 };
    expect(messages(rule, { period: 90 })).to.deep.equal([
      `${AT}: period = 90 is neither one of 10, 20, 30 nor a multiple of 60 breaks IntInSliceOrDivisibleBy(period, 10|20|30 or n*60) ${CITE}`,
    ]);
    expect(messages(rule, { period: 300 })).to.deep.equal([]);
    expect(messages(rule, { period: 30 })).to.deep.equal([]);
    expect(
      messages({ kind: "IntInSliceOrDivisibleBy", path: "interval", values: [10, 30] }, { interval: 60 }),
    ).to.deep.equal([`${AT}: interval = 60 is not one of 10, 30 breaks IntInSlice(interval, 10|30) ${CITE}`]);
  });

  it("StringIsJSON", () => {
    expect(messages({ kind: "StringIsJSON", path: "policy" }, { policy: "{nope" })).to.have.length(1);
    expect(messages({ kind: "StringIsJSON", path: "policy" }, { policy: "{nope" })[0]).to.match(
      /^test: aws:example\/thing:Thing "thing": policy = "\{nope" is not valid JSON \(.+\) breaks StringIsJSON\(policy\) \(terraform-provider-aws internal\/service\/example\/thing\.go\)$/,
    );
  });

  it("ValidARN: parts, partition, region and account; literal exceptions", () => {
    const rule: Rule = { kind: "ValidARN", path: "arns[]", alsoAllowed: ["*"] };
    expect(
      messages(rule, {
        arns: ["*", "arn:aws:backup:us-west-2:123456789012:backup-vault:dr", "vault-dr", "arn:aws:s3:::b:"],
      }),
    ).to.deep.equal([
      `${AT}: arns[2] = "vault-dr" is not an ARN (arn:partition:service:region:account:resource) breaks ValidARN(arns[] or *) ${CITE}`,
    ]);
    expect(messages(rule, { arns: ["arn:aws:iam::12345:role/x"] })).to.deep.equal([
      `${AT}: arns[0] = "arn:aws:iam::12345:role/x" has an invalid ARN account "12345" breaks ValidARN(arns[] or *) ${CITE}`,
    ]);
  });

  it("skips values a preview does not know: unknowns, secrets and stack placeholders", () => {
    const rule: Rule = { kind: "StringLenBetween", path: "name", min: 1, max: 3 };
    for (const name of ["<unknown>", "[secret]", "<prod:drVaultName>"]) {
      expect(messages(rule, { name })).to.deep.equal([]);
    }
    expect(
      messages({ kind: "ExactlyOneOf", paths: ["a", "b"] }, { a: "x", b: "<unknown>" }),
      "a cross-argument rule on an unknown is left to the deployment",
    ).to.deep.equal([]);
  });

  it("checks the name Pulumi generates when the program leaves it to auto-naming", () => {
    const rule: Rule = { kind: "StringLenBetween", path: "name", min: 1, max: 10 };
    expect(messages(rule, {}, { autoName: "name" })).to.deep.equal([
      `${AT}: name = "thing-a1b2c3d" has 13 characters, outside 1-10 breaks StringLenBetween(name, 1, 10) ${CITE}`,
    ]);
    expect(
      messages(rule, { namePrefix: "t-" }, { autoName: "name" }),
      "a prefix is checked instead",
    ).to.deep.equal([]);
  });
});
