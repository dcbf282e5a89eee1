export default function OtherPage() {
  return (
    <main>
      <h1>Another page</h1>
    </main>
  );
}
