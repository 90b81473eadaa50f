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
        var values = range.map { transform(elements[elements.startIndex + $0]) }
        // Moved, not copied, into the results and out of them: a copy of a value retains each of its
        // parts, and dropping the original releases them, under the lock here and on one thread below.
        results.withLock { results in
            for offset in range.reversed() { results[offset] = values.popLast() }
        }
    }
    var moved: [T?] = []
    results.withLock { swap(&moved, &$0) }
    var output: [T] = []
    output.reserveCapacity(moved.count)
    for index in moved.indices {
        if let value = moved[index].take() { output.append(value) }
    }
    return output
}

/// Frees `values` on all cores, each dropping a slice of them, and returns when all are freed. Values
/// that own many small objects (parsed front matter) take long to free one after the other; freed
/// before a later stage, their memory is reused by it instead of being taken anew from the system.
func releaseInParallel<T: Sendable>(_ values: consuming [T]) {
    let parts = ProcessInfo.processInfo.activeProcessorCount * 4
    guard values.count >= parts * 64 else { return }
    let size = (values.count + parts - 1) / parts
    // The values are moved into the slices, last first (`popLast` hands over the value itself): copying
    // them would retain every part of each, and releasing the originals undo it, on this one thread.
    var parted: [[T]?] = []
    while !values.isEmpty {
        var slice: [T] = []
        slice.reserveCapacity(size)
        while slice.count < size, let value = values.popLast() { slice.append(value) }
        parted.append(slice)
    }
    let slices = Mutex<[[T]?]>(parted)
    let count = parted.count
    parted = []
    DispatchQueue.concurrentPerform(iterations: count) { part in
        let slice = slices.withLock { slices in
            defer { slices[part] = nil }
            return slices[part]
        }
        _ = consume slice
    }
}

/// Drops `value` on another thread, so that a value owning many objects (the shared views, the fragment
/// cache) is freed beside the caller's next work instead of before it. Freed there when the caller holds
/// no other reference to it.
func releaseAside<T: Sendable>(_ value: consuming T) {
    let owned = consume value
    DispatchQueue.global(qos: .utility).async { _ = owned }
}

/// A value computed on a thread of its own, beside the caller's work; `value` waits for it.
final class Background<T: Sendable>: Sendable {
    private let result = Mutex<T?>(nil)
    private let done = DispatchGroup()

    init(_ work: @escaping @Sendable () -> T) {
        done.enter()
        DispatchQueue.global().async { [self] in
            let value = work()
            result.withLock { $0 = value }
            done.leave()
        }
    }

    var value: T {
        done.wait()
        return result.withLock { $0! }
    }
}
