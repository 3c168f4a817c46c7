package net

import "github.com/stretchsim/stretchsim/sim"

// The wait accounting of a connection direction (SetWindowWait, SetUnreadWait): which of its
// bytes and messages wait, and for what, reported to the limits (model/limits.go).

// SetWindowWait makes this direction report the time bytes wait queued behind its full window
// (tcp-window).
func (h *Half) SetWindowWait(w WaitRecorder) { h.winWait = w }

// SetUnreadWait makes this direction report the time messages wait unread by its muted receiver
// (unread-requests).
func (h *Half) SetUnreadWait(w WaitRecorder) { h.unreadWait = w }

// track updates the wait accounting after the queue, the window or the unread messages changed.
// Bytes held back by a muted receiver's unread requests wait for it, not for the window; a path
// or node outage is no limit of the window either.
func (h *Half) track(now sim.Time) {
	if h.winWait != nil {
		h.trackWindow(now)
	}
	if h.unreadWait != nil {
		if w := h.unread.Len() > 0; w != h.inUnread {
			h.inUnread = w
			report(h.unreadWait, w, now)
		}
	}
}

// trackWindow updates the tcp-window accounting. Queued bytes wait for the window only from the
// time they may leave: their message's start (SendAt: the sender's thread is still at work on
// them, a compressing producer's core) and the start of the bytes before them in the stream.
// Before that they wait for the sender, and so do the bytes queued behind them. A wait that
// begins at a later time is noted (winFrom) and begun, late, at the half's next update, since
// until then nothing but time changes.
func (h *Half) trackWindow(now sim.Time) {
	if !h.inWinWait && h.winFrom > 0 && h.winFrom <= now {
		h.inWinWait = true
		h.winWait.Begin(h.winFrom)
	}
	h.winFrom = 0
	w := h.queue.Len() > 0 && h.held() == 0 && !h.dead && !h.rec.active
	if w {
		if from := h.leaveAt(); from > now {
			h.winFrom, w = from, false
		}
	}
	if w != h.inWinWait {
		h.inWinWait = w
		report(h.winWait, w, now)
	}
}

// report tells r that a wait began (waiting) or ended now.
func report(r WaitRecorder, waiting bool, now sim.Time) {
	if waiting {
		r.Begin(now)
	} else {
		r.End(now)
	}
}
