/** Public URL of a stored image; media rows never change, so the URL can be cached forever. */
export function mediaUrl(mediaId: number | null): string | null {
  return mediaId === null ? null : `/api/media/${mediaId}`;
}
