import Synchronization
import Testing

@testable import ContinuityKit

@Suite("Work spread over the cores")
struct ParallelTests {
    final class Counter: Sendable {
        let freed = Mutex(0)
    }

    /// Counts, in its counter, its instances that were freed.
    final class Tracked: Sendable {
        let counter: Counter
        init(_ counter: Counter) { self.counter = counter }
        deinit { counter.freed.withLock { $0 += 1 } }
    }

    @Test("values released in parallel are each freed once, before the call returns", arguments: [0, 5, 700, 10_000])
    func release(_ count: Int) {
        let counter = Counter()
        var values: [Tracked]? = (0..<count).map { _ in Tracked(counter) }
        #expect(counter.freed.withLock { $0 } == 0)
        // Handed over: the call holds the only reference to the array.
        releaseInParallel(values.take()!)
        #expect(counter.freed.withLock { $0 } == count)
    }

    @Test("a parallel map keeps the order of its elements")
    func mapOrder() {
        #expect(parallelMap(0..<5_000) { $0 * 2 } == (0..<5_000).map { $0 * 2 })
    }
}
