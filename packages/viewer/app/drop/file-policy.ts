/**
 * What a dropped fresh-draw file's name says about its policies, in words for the file list, by core's rule for files
 * named to `cje analyze` (`drawFileLayout` of `@cjeval/core/advanced`, which `loadEvaluationData` uses).
 */
import { drawFileLayout } from "@cjeval/core/advanced";

/** How `fileName` is read: `policy base`, `policy clone, or the policies its rows name`, or `the policies its rows name`. */
export function fileReading(fileName: string): string {
  const layout = drawFileLayout(fileName);
  if (layout.layout === "per-policy") return `policy ${layout.policy}`;
  return layout.namedPolicy === null ? "the policies its rows name" : `policy ${layout.namedPolicy}, or the policies its rows name`;
}
