import type { ChildProcess } from 'node:child_process';

export function isExecutable(file: string): boolean;

/** The first executable called `name` on the PATH. */
export function findOnPath(name: string): string | undefined;

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number>;

/**
 * Polls until `condition` holds: servers start, replicas catch up and deliveries arrive asynchronously. Throws
 * `failure()` as the message after `timeoutMs` (8 s).
 */
export function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs?: number,
  failure?: () => string,
): Promise<void>;

export interface WaitForHttpOptions {
  /** The process serving `url`: if it exits first, the wait fails at once with its output. */
  child?: ChildProcess;
  /** How errors name the server. */
  name?: string;
  /** The server's recent output, for the error. */
  output?: () => string;
  /** 60 s unless given. */
  timeoutMs?: number;
}

/** Polls `url` until it answers 2xx. */
export function waitForHttp(url: string, options?: WaitForHttpOptions): Promise<void>;
