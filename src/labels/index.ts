/**
 * `k3s-node-kit/labels`: node labels and taints, validated as the kubelet and K3s do. Kept light
 * (no YAML, no Kubernetes models, no IP parsing): the root entry's `planNode` imports it.
 * @packageDocumentation
 */
export { LabelError } from "./errors.js";
export {
  KUBELET_LABELS,
  KUBELET_LABEL_NAMESPACES,
  isKubeletLabel,
  isKubernetesLabel,
  parseNodeLabels,
  validateNodeLabels,
} from "./labels.js";
export type { NodeLabel, NodeLabelProblem, NodeLabelValidation, ParsedNodeLabels } from "./labels.js";
export { parseTaints } from "./taints.js";
export type { ParsedTaints, Taint, TaintEffect } from "./taints.js";
