import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { notFound } from '../../infra/errors/app-error';

export interface MailboxEntry {
  name: string;
  sizeBytes: number;
  writtenAt: string;
}

/** The .eml files the file transport wrote, newest first; none yet is an empty mailbox. */
export async function listMailbox(directory: string): Promise<MailboxEntry[]> {
  const names = await readdir(directory).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const entries = await Promise.all(
    names
      .filter((name) => name.endsWith('.eml'))
      .map(async (name) => {
        const info = await stat(join(directory, name));
        return { name, sizeBytes: info.size, writtenAt: info.mtime.toISOString() };
      }),
  );
  return entries.sort((a, b) => b.writtenAt.localeCompare(a.writtenAt));
}

/** One message as written; `name` is validated by the route, so it cannot leave the directory. */
export async function readMailboxMessage(directory: string, name: string): Promise<string> {
  try {
    return await readFile(join(directory, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('Message');
    throw error;
  }
}
