package frontend

import (
	"errors"

	"github.com/sentrakreasi/atensi/domain"
)

func asValidation(err error, target **domain.ValidationError) bool { return errors.As(err, target) }
