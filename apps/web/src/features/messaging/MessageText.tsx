/** http(s) URLs in a message; nothing else becomes a link. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/**
 * A message as text: React escapes it, so markup in a message shows as typed. Only http(s) URLs become links,
 * marked as user content that gets no referrer, no opener and no endorsement.
 */
export function MessageText({ body }: { body: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const start = match.index;
    parts.push(body.slice(last, start));
    parts.push(
      <a key={start} href={match[0]} rel="noopener noreferrer nofollow ugc" target="_blank">
        {match[0]}
      </a>,
    );
    last = start + match[0].length;
  }
  parts.push(body.slice(last));
  return <p className="message-body">{parts}</p>;
}
