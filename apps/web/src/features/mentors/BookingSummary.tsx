'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * What the request button will ask for: the chosen day and time (read from the form's `startsAt` radios as they
 * change), the session's length and its price. Without JavaScript it says to pick a time, with length and price.
 */
export function BookingSummary({ length, price }: { length: string; price: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    const form = ref.current?.closest('form');
    if (!form) return;
    const onChange = (event: Event) => {
      const input = event.target as HTMLInputElement;
      if (input.name !== 'startsAt') return;
      const day = input.closest('fieldset')?.querySelector('legend')?.textContent ?? '';
      const time = form.querySelector(`label[for="${CSS.escape(input.id)}"]`)?.textContent ?? '';
      setChosen(`${day}, ${time}`);
    };
    form.addEventListener('change', onChange);
    return () => {
      form.removeEventListener('change', onChange);
    };
  }, []);
  return (
    <div ref={ref} className="booking-summary" aria-live="polite">
      <p>
        <strong>{chosen ?? 'Pick a time above'}</strong>
      </p>
      <p className="muted small">
        {length} · {price}
      </p>
    </div>
  );
}
