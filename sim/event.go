package sim

// Handler reacts to the events scheduled for it. Handle runs at ev.At, with s.Now() == ev.At; ev
// is valid only until Handle returns (copy what must outlive it). Handle
// may schedule further events and arm or stop timers, but it must not block.
type Handler interface {
	Handle(s *Sim, ev *Event)
}

// Kind tells apart the events one handler receives. Each handler declares its kinds in one
// constant block, from iota, so that two of them cannot collide.
type Kind int32

// Event is one scheduled occurrence. It is a value: the engine copies it into its queue, so a
// handler may reuse the variable it scheduled from. Kind, A, B and Data mean whatever the handler
// says they mean; the engine only reads At and H.
type Event struct {
	At   Time    // when the event runs
	H    Handler // who runs it; must not be nil
	Kind Kind    // handler-defined discriminator
	A, B int64   // handler-defined payload
	Data any     // handler-defined payload; store pointers here so that scheduling never allocates
}
