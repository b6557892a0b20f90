package app

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz only says the process answers; orchestrators restart it when not.
func healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz says whether this instance can serve traffic: both the database and
// the object store must answer. A load balancer stops sending requests while
// it is 503 and resumes when the dependency is back; nothing is cached.
func (a *App) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := map[string]func(context.Context) error{
		"postgres":     a.db.Ping,
		"object_store": a.objects.Ping,
	}
	results := make(map[string]string, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Go(func() {
			status := "ok"
			if err := check(ctx); err != nil {
				status = "unavailable"
				a.log.WarnContext(ctx, "readiness check failed", "dependency", name, "error", err.Error())
			}
			mu.Lock()
			results[name] = status
			mu.Unlock()
		})
	}
	wg.Wait()
	var failing []string
	for name, status := range results {
		if status != "ok" {
			failing = append(failing, name)
		}
	}
	if len(failing) > 0 {
		sort.Strings(failing)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "checks": results, "failing": failing})
	}
	return c.JSON(fiber.Map{"status": "ready", "checks": results})
}
