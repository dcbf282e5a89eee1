import { clusterCanRun } from '../../api/test/helpers/cluster';
import { chromiumAvailable } from './support/browser';
import { startClusterStack } from './support/cluster-stack';
import { describeJourneys } from './support/journeys';

// The same journeys through HAProxy: pages from the web process, `/api/*` and live sockets spread over two API
// processes (a live event reaches the other one through Redis). It runs in the PostgreSQL + Redis pass.
describeJourneys('journeys in Chromium through the cluster', startClusterStack, {
  skip: !chromiumAvailable || !(await clusterCanRun()),
});
