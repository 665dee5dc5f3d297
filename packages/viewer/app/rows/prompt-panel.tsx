/** One prompt side by side across policies: the prompt in full, then one card per answer with its scores. */
import type { Scale } from "@cjeval/core";
import { useEffect, useRef } from "preact/hooks";
import type { ViewRows } from "../../src/view-model.js";
import { decimalsFor, num, onScale, signed, spanOf } from "../format.js";

/** What the panel shows: prompt `prompt` (an index into `rows.prompts`) and its rows. */
export interface PromptPanelProps {
  readonly rows: ViewRows;
  readonly prompt: number;
  readonly indices: readonly number[];
  readonly judge: Scale | null;
  readonly oracle: Scale | null;
  /** The link that closes the panel. */
  readonly closeHref: string;
}

/** The side-by-side panel; it takes focus when it opens on a new prompt. */
export function PromptPanel({ rows, prompt, indices, judge, oracle, closeHref }: PromptPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [prompt]);
  const jd = decimalsFor(judge);
  const od = decimalsFor(oracle ?? judge);
  return (
    <section class="prompt-panel" aria-labelledby="prompt-title">
      <div class="panel-head">
        <h3 id="prompt-title" tabIndex={-1} ref={heading}>
          Prompt {rows.prompts.id[prompt]} across {indices.length} answers
        </h3>
        <a class="button" href={closeHref}>
          Close
        </a>
      </div>
      <p class="prompt-text">{rows.prompts.text[prompt] ?? <em>(the prompt text is not in the data)</em>}</p>
      <ul class="answers">
        {indices.map((i) => (
          <li key={i} class="answer" data-policy={rows.policies[rows.policy[i]]}>
            <h4>{rows.policies[rows.policy[i]]}</h4>
            <dl class="scores">
              <div>
                <dt>judge</dt>
                <dd>{num(onScale(rows.judge[i], judge), jd)}</dd>
              </div>
              <div>
                <dt>calibrated</dt>
                <dd>{num(rows.calibrated[i] === null ? null : onScale(rows.calibrated[i]!, oracle), od)}</dd>
              </div>
              <div>
                <dt>oracle</dt>
                <dd>{rows.oracle[i] === null ? "unlabelled" : num(onScale(rows.oracle[i]!, oracle), od)}</dd>
              </div>
              <div>
                <dt>residual</dt>
                <dd>{signed(rows.residual[i] === null ? null : spanOf(rows.residual[i]!, oracle), od)}</dd>
              </div>
            </dl>
            <p class="response">{rows.response[i] ?? <em>(no response text)</em>}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
