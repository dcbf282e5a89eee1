/** Stars as text for everyone: "4.8 ★ (23 reviews)"; the star glyph is decoration. */
export function Rating({ average, count }: { average: number; count: number }) {
  if (count === 0) return <span className="rating muted">No reviews yet</span>;
  return (
    <span className="rating">
      <span aria-hidden="true">★ </span>
      {average.toFixed(1)} <span className="muted">({count === 1 ? '1 review' : `${count} reviews`})</span>
    </span>
  );
}
