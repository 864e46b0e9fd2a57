// The entry point Pulumi.yaml names: the stack outputs are this module's exports.
import { program } from "./program";

export = program();
