import type { CellEvent, ExecuteResult, KernelClient } from "mllab-kernel";

type Start = (cwd: string) => Promise<KernelClient>;

/**
 * The kernel of one notebook, in the notebook's folder: started ahead of the first cell when the notebook is opened
 * with ML Lab (`warmUp`) or else when a cell first runs, and replaced after a crash or a restart. After the first
 * restart a spare process is kept warm, so later restarts are instant. Completion, hover and signature help only ask
 * a kernel that is already running: they never start one.
 */
export class KernelSession {
  private kernel: Promise<KernelClient> | undefined;
  /** The kernel in use once it is ready, for requests that must not wait for (or cause) a start. */
  private ready: KernelClient | undefined;
  private spare: Promise<KernelClient> | undefined;
  private exitNotice: string | undefined;

  constructor(private readonly cwd: string, private readonly start: Start) {}

  /** Runs a cell, starting a kernel first when there is none (or the last one died). */
  async execute(code: string, onEvent: (event: CellEvent) => void): Promise<ExecuteResult> {
    if (this.exitNotice) {
      onEvent({ type: "stream", id: "", name: "stderr", text: `${this.exitNotice}; started a new kernel, so earlier cells' variables are gone.\n` });
      this.exitNotice = undefined;
    }
    const kernel = await this.current();
    return kernel.execute(code, onEvent);
  }

  /** Starts the kernel now if there is none, so that the first cell finds it ready; a failed start is retried by that cell. */
  warmUp(): void {
    void this.current().catch(() => undefined);
  }

  async interrupt(): Promise<void> {
    (await this.kernel)?.interrupt();
  }

  async complete(code: string, offset: number) {
    return this.ready?.alive ? this.ready.complete(code, offset) : undefined;
  }

  async inspect(code: string, offset: number) {
    return this.ready?.alive ? this.ready.inspect(code, offset) : undefined;
  }

  async signatureHelp(code: string, offset: number, trigger?: string) {
    return this.ready?.alive ? this.ready.signatureHelp(code, offset, trigger) : undefined;
  }

  /** A fresh kernel: all state cleared. Resolves once the new kernel is ready; the old one is shut down meanwhile. */
  async restart(): Promise<void> {
    const old = this.kernel;
    const next = (this.kernel = this.spare ?? this.launch());
    this.ready = undefined;
    this.spare = undefined;
    this.exitNotice = undefined;
    void old?.then((k) => k.shutdown(), () => undefined);
    const kernel = await next;
    if (this.kernel === next && kernel.alive) this.ready = kernel;
    this.spare = this.launch();
  }

  async dispose(): Promise<void> {
    const kernels = [this.kernel, this.spare];
    this.kernel = this.spare = this.ready = undefined;
    await Promise.all(kernels.map(async (k) => (await k?.catch(() => undefined))?.shutdown()));
  }

  private current(): Promise<KernelClient> {
    this.kernel ??= this.launch();
    return this.kernel;
  }

  private launch(): Promise<KernelClient> {
    const kernel = this.start(this.cwd);
    kernel.then(
      (k) => {
        if (this.kernel === kernel) this.ready = k;
        k.onExit((how) => {
          // Only the kernel in use matters; a spare that dies is simply dropped.
          if (this.kernel === kernel) {
            this.kernel = this.ready = undefined;
            this.exitNotice = `The kernel process ${how}`;
          }
          if (this.spare === kernel) this.spare = undefined;
        });
      },
      () => {
        if (this.kernel === kernel) this.kernel = undefined;
        if (this.spare === kernel) this.spare = undefined;
      },
    );
    return kernel;
  }
}
