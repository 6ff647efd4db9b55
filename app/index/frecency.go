package index

import "time"

// Frecency ranks what the user opens, the way Firefox ranks history (its
// classic "frecency", with the visit-type bonuses left out, since every
// open here is a deliberate one):
//
//	frecency = opens × (Σ weight(age of each sampled open) / sampled opens)
//
// The sample is the last ten opens (the store keeps no more). An open's
// weight decays with its age in buckets:
//
//	within 4 days   100
//	within 14 days   70
//	within 31 days   50
//	within 90 days   30
//	older            10
//
// So an item opened 20 times last month outranks one opened twice today
// (20×50 = 1000 against 2×100 = 200), yet one opened daily this week soon
// catches up with a page that was hot in the spring; and an item opened
// once keeps a small score for good. Opens dated in the future (a clock
// that moved back) count as new. An item never opened scores 0.
func Frecency(u Usage, now time.Time) float64 {
	if u.Opens <= 0 || len(u.Recent) == 0 {
		return 0
	}
	sample := u.Recent[:min(len(u.Recent), 10)]
	sum := 0
	for _, t := range sample {
		sum += ageWeight(now.Sub(t))
	}
	return float64(u.Opens) * float64(sum) / float64(len(sample))
}

const day = 24 * time.Hour

func ageWeight(age time.Duration) int {
	switch {
	case age <= 4*day:
		return 100
	case age <= 14*day:
		return 70
	case age <= 31*day:
		return 50
	case age <= 90*day:
		return 30
	}
	return 10
}
