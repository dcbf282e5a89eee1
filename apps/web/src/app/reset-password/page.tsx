import type { Metadata } from 'next';
import { ActionForm } from '@/components/ui/ActionForm';
import { resetPassword } from '@/features/auth/actions';

export const metadata: Metadata = { title: 'Choose a new password', robots: { index: false } };

export default async function ResetPasswordPage({ searchParams }: PageProps<'/reset-password'>) {
  const { token } = await searchParams;
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      <p>Every device signed in to your account is signed out; then sign in with the new password.</p>
      <ActionForm
        action={resetPassword}
        submitLabel="Save new password"
        hidden={{ token: typeof token === 'string' ? token : '' }}
        fields={[
          {
            name: 'password',
            label: 'New password',
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
