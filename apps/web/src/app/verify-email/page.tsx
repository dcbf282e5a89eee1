import type { Metadata } from 'next';
import { ActionForm } from '@/components/ui/ActionForm';
import { verifyEmail } from '@/features/auth/actions';

export const metadata: Metadata = { title: 'Choose your password', robots: { index: false } };

export default async function VerifyEmailPage({ searchParams }: PageProps<'/verify-email'>) {
  const { token } = await searchParams;
  return (
    <div className="narrow">
      <h1>Choose your password</h1>
      <p>Your email address is confirmed once you choose a password; you are then signed in.</p>
      <ActionForm
        action={verifyEmail}
        submitLabel="Save password and sign in"
        hidden={{ token: typeof token === 'string' ? token : '' }}
        fields={[
          {
            name: 'password',
            label: 'Password',
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
