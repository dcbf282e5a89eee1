import type { Metadata } from 'next';
import { resetPassword } from '@/features/auth/actions';
import { PasswordFromLinkPage } from '@/features/auth/PasswordFromLinkPage';

const title = 'Choose a new password';

export const metadata: Metadata = { title, robots: { index: false } };

export default async function ResetPasswordPage({ searchParams }: PageProps<'/reset-password'>) {
  return (
    <PasswordFromLinkPage
      title={title}
      intro="Every device signed in to your account is signed out; then sign in with the new password."
      token={(await searchParams).token}
      action={resetPassword}
      passwordLabel="New password"
      submitLabel="Save new password"
    />
  );
}
