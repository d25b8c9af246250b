import type { CellEvent, ExecuteResult, KernelClient } from "mllab-kernel";

type Start = (cwd: string) => Promise<KernelClient>;

/**
 * The kernel of one notebook: started on first use in the notebook's folder, replaced after a crash or a
 * restart. After the first restart a spare process is kept warm, so later restarts are instant.
 */
export class KernelSession {
  private kernel: Promise<KernelClient> | undefined;
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

  async interrupt(): Promise<void> {
    (await this.kernel)?.interrupt();
  }

  async complete(code: string, offset: number) {
    return (await this.current()).complete(code, offset);
  }

  async inspect(code: string, offset: number) {
    return (await this.current()).inspect(code, offset);
  }

  /** A fresh kernel: all state cleared. Resolves once the new kernel is ready; the old one is shut down meanwhile. */
  async restart(): Promise<void> {
    const old = this.kernel;
    this.kernel = this.spare ?? this.launch();
    this.spare = undefined;
    this.exitNotice = undefined;
    void old?.then((k) => k.shutdown(), () => undefined);
    await this.kernel;
    this.spare = this.launch();
  }

  async dispose(): Promise<void> {
    const kernels = [this.kernel, this.spare];
    this.kernel = this.spare = undefined;
    await Promise.all(kernels.map(async (k) => (await k?.catch(() => undefined))?.shutdown()));
  }

  private current(): Promise<KernelClient> {
    this.kernel ??= this.launch();
    return this.kernel;
  }

  private launch(): Promise<KernelClient> {
    const kernel = this.start(this.cwd);
    kernel.then(
      (k) =>
        k.onExit((how) => {
          // Only the kernel in use matters; a spare that dies is simply dropped.
          if (this.kernel === kernel) {
            this.kernel = undefined;
            this.exitNotice = `The kernel process ${how}`;
          }
          if (this.spare === kernel) this.spare = undefined;
        }),
      () => {
        if (this.kernel === kernel) this.kernel = undefined;
        if (this.spare === kernel) this.spare = undefined;
      },
    );
    return kernel;
  }
}
