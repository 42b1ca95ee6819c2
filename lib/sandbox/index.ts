export { handleSandboxRequest, sandboxMediaFile, type SandboxOptions } from "./api";
export { seedSandbox, seedFollowers, reseedSandbox } from "./seed";
export { sandboxCredentials, SANDBOX_WECHAT_IDS, SANDBOX_TAGS } from "./defaults";
export {
  runDueSandboxJobs,
  startSandboxRunner,
  setSandboxCallback,
  setSandboxSettings,
  listSandboxApps,
  listSandboxJobs,
  sandboxInbox,
  sandboxRecipients,
  sandboxReceivedCount,
  sandboxTesters,
  massJobFinishXml,
  signedPush,
} from "./runner";
export { sbDecrypt, sbEncrypt, sbSignature } from "./crypto";
export { sandboxArticle } from "./article";
export { advanceSandboxClock, resetSandboxClock, sbNow } from "./clock";
export { sandboxTagList, sandboxTagFollowers, sandboxTagName, sandboxTagOpenIds, SAMPLE_MAX } from "./followers";
