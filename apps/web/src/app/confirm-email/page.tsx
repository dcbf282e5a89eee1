import type { Metadata } from 'next';
import { ActionForm } from '@/components/ui/ActionForm';
import { confirmEmailChange } from '@/features/auth/actions';

export const metadata: Metadata = { title: 'Confirm your new email address', robots: { index: false } };

export default async function ConfirmEmailPage({ searchParams }: PageProps<'/confirm-email'>) {
  const { token } = await searchParams;
  return (
    <div className="narrow">
      <h1>Confirm your new email address</h1>
      <p>Your account uses this address from now on, for signing in and for mail.</p>
      <ActionForm
        action={confirmEmailChange}
        submitLabel="Confirm this address"
        hidden={{ token: typeof token === 'string' ? token : '' }}
        fields={[]}
      />
    </div>
  );
}
