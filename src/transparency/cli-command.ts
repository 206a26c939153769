import { readFileSync } from 'node:fs';
import type { Platform } from '../core/platform.js';
import { AuditCheckpoints, describeReport } from './checkpoints.js';

type WithPlatform = <T>(work: (platform: Platform) => Promise<T>) => Promise<T>;

/**
 * `tongban audit verify [--checkpoint FILE]...`: the hash chain, every stored checkpoint, every
 * file in AUDIT_CHECKPOINT_DIR and every external copy given; exit 0 intact, 1 tampering found,
 * 2 wrong usage.
 * `tongban audit checkpoint`: signs the current head now (what the hourly job does); exit 1 when
 * the latest checkpoint does not verify (nothing is signed on top of it).
 */
export async function auditCommand(sub: string | undefined, values: { checkpoint?: unknown }, withPlatform: WithPlatform, help: string): Promise<number> {
  const files = Array.isArray(values.checkpoint) ? values.checkpoint.map(String) : typeof values.checkpoint === 'string' ? [values.checkpoint] : [];
  if (sub === 'verify') {
    let external: { source: string; jws: string }[];
    try {
      external = files.map((file) => ({ source: file, jws: readFileSync(file, 'utf8').trim() }));
    } catch (error) {
      console.error(`Cannot read the checkpoint file: ${(error as Error).message}`);
      return 2;
    }
    return withPlatform(async (platform) => {
      const checkpoints = new AuditCheckpoints(platform, { dir: platform.config.auditCheckpointDir });
      const { ok, lines } = describeReport(await checkpoints.verify(external));
      for (const line of lines) (ok ? console.log : console.error)(line);
      return ok ? 0 : 1;
    });
  }
  if (sub === 'checkpoint') {
    return withPlatform(async (platform) => {
      const { created, checkpoint, refused } = await new AuditCheckpoints(platform, { dir: platform.config.auditCheckpointDir }).write();
      if (refused) {
        console.error(`Not signed: the latest checkpoint does not verify (${refused.source}: ${refused.problem}). Run tongban audit verify.`);
        return 1;
      }
      if (!checkpoint) {
        console.log('The audit trail is empty: nothing to sign.');
        return 0;
      }
      console.log(created ? `Signed checkpoint at event #${checkpoint.seq}, head ${checkpoint.headHash}.` : `The latest checkpoint (event #${checkpoint.seq}) already covers the head.`);
      console.log(checkpoint.jws);
      return 0;
    });
  }
  console.error(help);
  return 2;
}
