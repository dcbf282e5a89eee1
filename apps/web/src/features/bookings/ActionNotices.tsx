import { Notice } from '@/components/ui/States';
import { errorMessages, messageFor, noticeMessages } from './messages';

/**
 * What a redirecting action reported through the URL (`?notice=` / `?error=`), said in words. An unknown code
 * shows its fallback; an empty fallback shows nothing. Pages that expect no notice pass `noticeFallback={null}`.
 */
export function ActionNotices({
  query,
  noticeFallback = 'Done.',
  errorFallback = 'That did not work.',
}: {
  query: Record<string, string | string[] | undefined>;
  noticeFallback?: string | null;
  errorFallback?: string;
}) {
  const code = (key: 'notice' | 'error') => (typeof query[key] === 'string' ? query[key] : undefined);
  const notice = noticeFallback === null ? null : messageFor(noticeMessages, code('notice'), noticeFallback);
  const error = messageFor(errorMessages, code('error'), errorFallback);
  return (
    <>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </>
  );
}
