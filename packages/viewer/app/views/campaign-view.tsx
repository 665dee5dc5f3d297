/** Campaign: per stage done, failed, pending, throughput and cost; updated live from `cje view`'s event stream. */
import type { CampaignProgress } from "../../src/view-model.js";
import { count, percent } from "../format.js";
import { ScrollTable } from "../table.js";

/** The campaign progress table of a run (a sentence when the run is not a campaign). */
export function CampaignView({ campaign }: { campaign: CampaignProgress | null }) {
  if (campaign === null) return <p>This run is not a campaign: there is no progress to follow.</p>;
  const usd = (x: number): string => `$${x.toFixed(x < 1 ? 4 : 2)}`;
  return (
    <>
      <p class="campaign-state" aria-live="polite">
        <strong>{campaign.name}</strong>: {campaign.running ? "running" : "not running"} · total cost <span class="total-cost">{usd(campaign.cost_usd)}</span> ·
        as of <time dateTime={campaign.at}>{new Date(campaign.at).toLocaleString()}</time>
      </p>
      <ScrollTable className="campaign-table" label="Campaign stages" head={["Stage", "Progress", "Done", "Failed", "Pending", "Per second", "Cost"]}>
        {campaign.stages.map((s) => {
          const total = s.done + s.failed + s.pending;
          return (
            <tr key={s.stage} data-stage={s.stage}>
              <th scope="row">{s.stage}</th>
              <td>
                <progress max={Math.max(1, total)} value={s.done} aria-label={`${s.stage} progress`} /> {percent(s.done, total)}
              </td>
              <td class="num done">{count(s.done)}</td>
              <td class="num failed">
                {s.failed > 0 && <span aria-hidden="true">✗ </span>}
                {count(s.failed)}
              </td>
              <td class="num pending">{count(s.pending)}</td>
              <td class="num">{s.per_second.toFixed(2)}</td>
              <td class="num">{usd(s.cost_usd)}</td>
            </tr>
          );
        })}
      </ScrollTable>
    </>
  );
}
