// Loaded with `node --require` into yaml-language-server by the benchmark (bench/bench.ts), so that
// its "change → diagnostics" figure leaves out its validation delay, as ours does.
//
// yaml-language-server waits `validationDelayMs` (200 ms, fixed in its SettingsState; no setting or
// initialization option changes it) after each change before it validates. This preload
//  1. sets that delay to XEN_BENCH_YAML_DELAY_MS (0 unless told otherwise), and
//  2. measures how long each validation still waited between the change reaching the server
//     (ValidationHandler.validate) and the validation starting (validateTextDocument), and sends it
//     as a `xenBench/validationStarts` notification just before the validation runs, so the bench
//     can subtract the wait (a 0 ms timer still waits about 1 ms in Node).
// It fails loudly when the server's code no longer has these names, rather than measuring with
// the delay silently left in.
'use strict';

const { join } = require('node:path');

const source = process.env.XEN_BENCH_YAML_SRC;
if (!source) throw new Error('yamlPreload: XEN_BENCH_YAML_SRC (yaml-language-server/out/server/src) is not set');
const delay = Number(process.env.XEN_BENCH_YAML_DELAY_MS ?? '0');
if (!Number.isFinite(delay) || delay < 0) throw new Error(`yamlPreload: bad XEN_BENCH_YAML_DELAY_MS ${process.env.XEN_BENCH_YAML_DELAY_MS}`);

const settings = require(join(source, 'yamlSettings.js'));
const OriginalSettings = settings.SettingsState;
if (typeof OriginalSettings !== 'function') throw new Error('yamlPreload: yaml-language-server no longer exports SettingsState');
settings.SettingsState = class extends OriginalSettings {
  constructor(...args) {
    super(...args);
    if (typeof this.validationDelayMs !== 'number') throw new Error('yamlPreload: SettingsState has no validationDelayMs any more');
    this.validationDelayMs = delay;
  }
};

const { ValidationHandler } = require(join(source, 'languageserver/handlers/validationHandlers.js'));
const prototype = ValidationHandler?.prototype;
if (typeof prototype?.validate !== 'function' || typeof prototype.validateTextDocument !== 'function') {
  throw new Error('yamlPreload: ValidationHandler.validate/validateTextDocument are gone');
}
/** uri → performance.now() when the latest change reached the validation handler. */
const received = new Map();
const validate = prototype.validate;
prototype.validate = function (document) {
  received.set(document.uri, performance.now());
  return validate.call(this, document);
};
const validateTextDocument = prototype.validateTextDocument;
prototype.validateTextDocument = function (document) {
  const at = document === undefined ? undefined : received.get(document.uri);
  if (at !== undefined) {
    received.delete(document.uri);
    void this.connection.sendNotification('xenBench/validationStarts', { uri: document.uri, version: document.version, waitedMs: performance.now() - at });
  }
  return validateTextDocument.call(this, document);
};
