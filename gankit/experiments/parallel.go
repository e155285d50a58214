package experiments

import "github.com/gankit/kit/gankit/pointgan"

// DefaultWorkers is how many runs Sweep and the image lessons train at the same time
// unless told otherwise: pointgan.DefaultWorkers, for the same reason. Results never
// depend on it: every run has its own seed, graphs and variables.
const DefaultWorkers = pointgan.DefaultWorkers
