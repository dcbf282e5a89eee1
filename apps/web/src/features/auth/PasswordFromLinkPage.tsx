import { ActionForm } from '@/components/ui/ActionForm';
import type { FormState } from '@/lib/actions';

/**
 * The page a mailed link opens to choose a password (after signing up, or to reset a forgotten one): the link's
 * token travels with the form, the password rules are told once.
 */
export function PasswordFromLinkPage({
  title,
  intro,
  token,
  action,
  passwordLabel,
  submitLabel,
}: {
  title: string;
  intro: string;
  token: string | string[] | undefined;
  action: (state: FormState, form: FormData) => Promise<FormState>;
  passwordLabel: string;
  submitLabel: string;
}) {
  return (
    <div className="narrow">
      <h1>{title}</h1>
      <p>{intro}</p>
      <ActionForm
        action={action}
        submitLabel={submitLabel}
        hidden={{ token: typeof token === 'string' ? token : '' }}
        fields={[
          {
            name: 'password',
            label: passwordLabel,
            type: 'password',
            required: true,
            autoComplete: 'new-password',
            hint: 'At least 8 characters, and not a commonly used password.',
          },
        ]}
      />
    </div>
  );
}
