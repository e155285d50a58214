package train

import "github.com/gomlx/gomlx/ml/model"

// Parameters is the number of trainable values (the sum of the sizes of the trainable
// variables) under scope and its sub-scopes: a network's parameter count. Variables that
// are not trainable, such as batch norm's running statistics or an optimizer's moments,
// are not counted.
func Parameters(scope *model.Scope) int {
	n := 0
	for v := range scope.IterVariables() {
		if v.Trainable {
			n += v.Shape().Size()
		}
	}
	return n
}
