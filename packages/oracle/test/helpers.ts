import { evaluationDataFromRecords, type EvaluationData } from "@cjeval/core";
import { simulateWorld } from "@cjeval/core/advanced";

/** Two policies × `prompts` prompts; a share of base's rows carry pilot labels; rows carry a numeric `size`. */
export function worldData(prompts: number, pilotShare: number, seed = 1): EvaluationData {
  const world = simulateWorld({
    policies: [
      { name: "base", shift: 0 },
      { name: "other", shift: 0.4 },
    ],
    prompts,
    oracleShare: pilotShare,
    seed,
  });
  return evaluationDataFromRecords(world.records.map((r, i) => ({ ...r, size: 1 + (i % 7) })));
}
