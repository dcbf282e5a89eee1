import { chromiumAvailable } from './support/browser';
import { describeJourneys } from './support/journeys';
import { startStack } from './support/stack';

// One API process and one web server, the browser at the web server's origin.
describeJourneys('journeys in Chromium', startStack, { skip: !chromiumAvailable });
