import { spatialTestModel, systolicTestModel } from '@trim-dse/core/testkit';

/** The testkit's hand-built models (plug-ins do not import the template packages). */
export const systolic = systolicTestModel;
export const spatial = (rows = 12, cols = 14) => spatialTestModel({ rows, cols });
