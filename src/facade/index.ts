/**
 * The `createNode()` facade: composition of every module, nothing more.
 * @packageDocumentation
 */
export { createNode } from "./create-node.js";
export type { CreateNodeOptions, Node, NodeEvent, NodeStepEvent } from "./create-node.js";
export { planNode } from "./plan.js";
export type { NodeOptions, NodePlan, PlanStep } from "./plan.js";
export { superviseProcess } from "../process/index.js";
export type { SupervisedProcess, SupervisorEvent, SupervisorOptions } from "../process/index.js";
export { NodeError } from "./errors.js";
