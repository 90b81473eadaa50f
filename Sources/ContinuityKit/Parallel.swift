import Foundation
import Synchronization

/// `transform` applied to every element on all cores, the results in the elements' order.
func parallelMap<C: RandomAccessCollection, T: Sendable>(
    _ elements: C, _ transform: @Sendable (C.Element) -> T
) -> [T] where C: Sendable, C.Index == Int {
    let results = Mutex<[T?]>(Array(repeating: nil, count: elements.count))
    // A few elements per task: enough tasks to balance the cores, few enough to keep the overhead low.
    let chunk = max(1, elements.count / (ProcessInfo.processInfo.activeProcessorCount * 16))
    let chunks = (elements.count + chunk - 1) / chunk
    DispatchQueue.concurrentPerform(iterations: chunks) { part in
        let range = (part * chunk)..<min(elements.count, (part + 1) * chunk)
        let values = range.map { transform(elements[elements.startIndex + $0]) }
        results.withLock { results in
            for (offset, value) in zip(range, values) { results[offset] = value }
        }
    }
    return results.withLock { $0 }.compactMap { $0 }
}
