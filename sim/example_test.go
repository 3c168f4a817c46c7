package sim_test

import (
	"fmt"
	"time"

	"github.com/stretchsim/stretchsim/sim"
)

type ticker struct{ sent int }

func (t *ticker) Handle(s *sim.Sim, ev *sim.Event) {
	if ev.Kind == 1 {
		fmt.Println("deadline fired") // never printed: the timer is stopped
		return
	}
	t.sent++
	s.After(10*time.Millisecond, sim.Event{H: t})
}

// Example is the walkthrough of the package documentation.
func Example() {
	s := sim.New(42)
	tk := &ticker{}
	s.Schedule(sim.Event{At: 0, H: tk})
	var deadline sim.Timer
	s.ArmAfter(&deadline, time.Second, sim.Event{H: tk, Kind: 1})
	deadline.Stop()
	s.RunUntil(sim.Time(time.Second))
	fmt.Println(tk.sent, s.Now(), s.Events())
	// Output: 101 1s 101
}
