// The measuring scripts' framework control: the same Next.js and React as the web app, one page, no code of ours.
export default { reactStrictMode: true, poweredByHeader: false };
