// What a node is called on screen, in the current language. A tensor no variable names comes
// from the API labelled by its role in English ("backward root"): on screen it is the role's
// word in the UI's language, as the server draws it when asked in that language (lang, see
// docs/api.md). Every other label is the program's own name, or PyTorch's op name.

import { lang, t } from "./i18n.js";

/** Whether `node` is a tensor no variable names (its label is its role's word). */
export const isUnnamed = (node) => node?.kind === "tensor" && node.name == null && !node.names?.length;

/** The label of `node` as the page shows it. */
export const nodeLabel = (node) => (isUnnamed(node) ? t(`role_short.${node.role}`) : node?.label ?? "");

/** The second line of a tensor's box: its shape, or the word for a scalar. */
export const shapeText = (shape) => (shape?.length ? `[${shape.join(", ")}]` : t("graph.scalar"));

/**
 * An error's message in the current language, in one line (a tooltip): the service's own
 * messages come in Chinese too (`message_zh`); for the program's own exception, whose words
 * are Python's or PyTorch's, a Chinese page names its type (the error panel shows the text).
 */
export const errorLine = (problem) => (lang() === "zh" ? problem.message_zh ?? problem.type : problem.message);
