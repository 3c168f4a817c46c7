package sim

// FIFO is a first-in first-out queue that reuses its storage: popping advances a head index
// instead of reslicing, so a queue that is never empty does not reallocate on every push. The
// model's connections and request queues use it; the zero value is empty.
type FIFO[T any] struct {
	items []T
	head  int
}

// Len returns the number of queued items.
func (q *FIFO[T]) Len() int { return len(q.items) - q.head }

// Push adds x at the back.
func (q *FIFO[T]) Push(x T) { q.items = append(q.items, x) }

// Front returns the first item; the queue must not be empty.
func (q *FIFO[T]) Front() *T { return &q.items[q.head] }

// Pop removes the first item; the queue must not be empty.
func (q *FIFO[T]) Pop() {
	var zero T
	q.items[q.head] = zero
	q.head++
	switch {
	case q.head == len(q.items):
		q.items, q.head = q.items[:0], 0
	case q.head >= 32 && q.head > len(q.items)/2:
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
}

// Insert puts x at position i of the queue (0: the front, Len: the back). After a Pop it takes
// the freed slot in front and moves the i items before it one place forward, so putting an item
// back near the front (a retry) costs i moves, not the whole queue's.
func (q *FIFO[T]) Insert(i int, x T) {
	if q.head > 0 {
		q.head--
		copy(q.items[q.head:q.head+i], q.items[q.head+1:q.head+1+i])
		q.items[q.head+i] = x
		return
	}
	var zero T
	q.items = append(q.items, zero)
	copy(q.items[i+1:], q.items[i:])
	q.items[i] = x
}

// Reset empties the queue.
func (q *FIFO[T]) Reset() {
	clear(q.items)
	q.items, q.head = q.items[:0], 0
}

// All returns the queued items, first to last.
func (q *FIFO[T]) All() []T { return q.items[q.head:] }
