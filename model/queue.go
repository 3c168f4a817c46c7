package model

// queue is a FIFO that reuses its storage: popping advances a head index instead of reslicing,
// so a queue that is never empty does not reallocate on every push.
type queue[T any] struct {
	items []T
	head  int
}

func (q *queue[T]) len() int { return len(q.items) - q.head }

func (q *queue[T]) push(x T) { q.items = append(q.items, x) }

// front returns the first item; the queue must not be empty.
func (q *queue[T]) front() *T { return &q.items[q.head] }

// pop removes the first item; the queue must not be empty.
func (q *queue[T]) pop() {
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

// reset empties the queue.
func (q *queue[T]) reset() {
	clear(q.items)
	q.items, q.head = q.items[:0], 0
}
