/**
 * `@cjeval/test-utils` (private, never published): what the workspace's tests share — the loopback HTTP
 * server, the one fake OpenAI wire (response bodies and a toy tokenizer with log-probs), a deterministic
 * OpenAI-compatible world with a campaign built on it, a fake provider written in code with a two-policy campaign on it, and the expectations both campaign stores meet.
 *
 * @packageDocumentation
 */
export { type LoopbackHandler, type LoopbackRequest, type LoopbackServer, sendJson, startLoopbackServer } from "./loopback-server.js";
export {
  chatCompletion,
  echoCompletion,
  llamaCppCompletion,
  promptLogprobsCompletion,
  tokenize,
  toyLogprob,
  type ChatCompletionOptions,
  type EchoCompletionOptions,
  type WireIdentity,
} from "./openai-wire.js";
export {
  DRIFTING_POLICY,
  judgeScoreOf,
  loopbackPrompts,
  oracleLabelOf,
  startOpenAiWorld,
  trustCampaign,
  type LoopbackCall,
  type OpenAiWorld,
  type TrustCampaign,
  type TrustEstimator,
} from "./openai-world.js";
export { fakeCampaign, fakePrompts, fakeProvider, fakeScore, type FakeCalls, type FakeCampaign } from "./fake-provider.js";
export { expectUsageActivityAndErrors, type StoreReadings } from "./store-expectations.js";
export { expectDeepClose } from "./deep-close.js";
export { type FaultAction, type FaultServer, startFaultServer } from "./fault-server.js";
export { countingFetch, type CountingFetch } from "./counting-fetch.js";
export { headlessChromium, launchChromium } from "./chromium.js";
