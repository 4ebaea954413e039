/**
 * Which TensorFlow.js backend runs the attention engine, and the fallback when the wanted one cannot
 * start. tfjs has one global backend per process, so this module owns that choice.
 *
 * The caller passes the preference in (the server reads `ATTENTION_BACKEND` through `backendFromEnv`);
 * nothing here reads the environment on its own.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

/** The backends the engine can run on, in no particular order. */
export const ENGINE_BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type BackendName = (typeof ENGINE_BACKENDS)[number];

/** wasm is fast on small matrices everywhere and needs no GPU. */
export const DEFAULT_BACKEND: BackendName = 'wasm';

/** Where each backend falls back to: a GPU-less machine still plays, cpu is the last resort. */
const FALLBACK_ORDER: Record<BackendName, readonly BackendName[]> = {
  webgpu: ['webgpu', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

/** Test seams: how the GPU is found. */
export interface BackendProbes {
  /**
   * Asks for a WebGPU adapter; null when there is none. Defaults to `navigator.gpu`, or to Dawn
   * (the `webgpu` package) in Node. Tests inject one that returns null to simulate a GPU-less machine.
   */
  requestAdapter?: () => Promise<object | null>;
}

/** Whether `value` names one of the engine's backends. */
export function isBackendName(value: string): value is BackendName {
  return (ENGINE_BACKENDS as readonly string[]).includes(value);
}

/**
 * The backend named by `ATTENTION_BACKEND` in `env`, or the default when it is unset or empty.
 * Throws with the valid names when the value is not one of them, so a typo stops start-up.
 */
export function backendFromEnv(env: Readonly<Record<string, string | undefined>>): BackendName {
  const raw = env.ATTENTION_BACKEND?.trim().toLowerCase();
  if (!raw) return DEFAULT_BACKEND;
  if (!isBackendName(raw)) {
    throw new Error(`ATTENTION_BACKEND must be one of ${ENGINE_BACKENDS.join(', ')}; got "${env.ATTENTION_BACKEND}"`);
  }
  return raw;
}

type Attempt = { ok: true } | { ok: false; reason: string };

interface GpuHolder {
  gpu: GPU;
}

// Dawn's GPU object must stay referenced for as long as tfjs uses the device it made, and creating it
// twice would make two Vulkan instances: one per process, made on first need.
let nodeGpu: Promise<GpuHolder | { error: string }> | null = null;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function installedGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

/** Makes `navigator.gpu` exist: natively in a browser, through Dawn in Node. Returns why not otherwise. */
async function ensureNavigatorGpu(): Promise<{ gpu: GPU } | { error: string }> {
  const existing = installedGpu();
  if (existing) return { gpu: existing };
  if (!isNode()) return { error: 'this browser has no WebGPU' };
  nodeGpu ??= (async () => {
    try {
      // Lazy: the native Dawn bindings are loaded only when someone asks for webgpu.
      const dawn = await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ 'webgpu');
      // tfjs's WebGPU backend reads GPUBufferUsage and friends from the global scope, as in a browser.
      for (const [name, value] of Object.entries(dawn.globals)) {
        if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
      }
      const gpu = dawn.create([]);
      const scope = globalThis as { navigator?: object };
      scope.navigator ??= {};
      Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
      return { gpu };
    } catch (err) {
      return { error: `could not load Dawn: ${messageOf(err)}` };
    }
  })();
  return nodeGpu;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

let webgpuModuleLoaded = false;

async function tryWebGPU(probes: BackendProbes): Promise<Attempt> {
  let adapter: object | null;
  if (probes.requestAdapter) {
    try {
      adapter = await probes.requestAdapter();
    } catch (err) {
      return { ok: false, reason: `adapter request failed: ${messageOf(err)}` };
    }
  } else {
    const found = await ensureNavigatorGpu();
    if ('error' in found) return { ok: false, reason: found.error };
    try {
      adapter = await found.gpu.requestAdapter();
    } catch (err) {
      return { ok: false, reason: `adapter request failed: ${messageOf(err)}` };
    }
  }
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter' };

  const found = await ensureNavigatorGpu();
  if ('error' in found) return { ok: false, reason: found.error };
  if (!webgpuModuleLoaded) {
    // The backend registers itself on import only if navigator.gpu already exists, hence the order.
    await import('@tensorflow/tfjs-backend-webgpu');
    webgpuModuleLoaded = true;
  }
  return trySetBackend('webgpu');
}

async function trySetBackend(name: BackendName): Promise<Attempt> {
  try {
    if (!(await tf.setBackend(name))) return { ok: false, reason: await whyNot(name) };
    await tf.ready();
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: messageOf(err) };
  }
}

/**
 * tfjs swallows a backend's start-up error (it only prints it, and we silence its printing), so on
 * this rare path we run the factory once more to learn the reason for our one log line.
 */
async function whyNot(name: BackendName): Promise<string> {
  const factory = tf.findBackendFactory(name);
  if (!factory) return 'not registered';
  try {
    const instance = await factory();
    instance.dispose();
    return 'tfjs could not initialise it';
  } catch (err) {
    return messageOf(err);
  }
}

let quietened = false;

/** tfjs's own advice (install tfjs-node) and notices would otherwise land in every server log and test run. */
function quietenTfjs(): void {
  if (quietened) return;
  quietened = true;
  // PROD only silences tfjs's console notices in 4.x; kernels and numerics do not read it.
  tf.env().set('PROD', true);
}

/**
 * Makes the best available backend current: `preferred` if it starts, else the next in its fallback
 * order (webgpu → wasm → cpu). When it falls back it calls `log` exactly once, with every reason.
 * Returns the backend actually in use; throws only if not even cpu starts.
 */
export async function initBackend(
  preferred: BackendName,
  log: (line: string) => void,
  probes: BackendProbes = {},
): Promise<BackendName> {
  quietenTfjs();
  const failures: string[] = [];
  for (const name of FALLBACK_ORDER[preferred]) {
    const attempt = name === 'webgpu' ? await tryWebGPU(probes) : await trySetBackend(name);
    if (attempt.ok) {
      if (failures.length > 0) log(`attention engine: ${failures.join('; ')}, using ${name}`);
      return name;
    }
    failures.push(`${name} unavailable (${attempt.reason})`);
  }
  throw new Error(`attention engine: no backend could start: ${failures.join('; ')}`);
}

/**
 * Whether WebGPU could run here, without switching tfjs's backend. Tests use it to decide, up front,
 * whether the WebGPU parity suite runs.
 */
export async function probeWebGPU(): Promise<{ available: true } | { available: false; reason: string }> {
  const found = await ensureNavigatorGpu();
  if ('error' in found) return { available: false, reason: found.error };
  try {
    const adapter = await found.gpu.requestAdapter();
    return adapter ? { available: true } : { available: false, reason: 'no WebGPU adapter' };
  } catch (err) {
    return { available: false, reason: `adapter request failed: ${messageOf(err)}` };
  }
}
