// KERNEL FILE (unsafe by design). One of the few files allowed to touch raw pointers
// (docs/ARCHITECTURE.md, "Unsafe code"). `Buffer` owns a manually allocated block so that kernels can
// take its base pointer once and index it with no copy-on-write, uniqueness or exclusivity checks.
// Invariants: `base` points to `count` initialized elements (64-byte aligned) for as long as the
// Buffer lives, and until the next `replace`/`reset`/`reserve`, which may move it; `base` is for the
// kernel files only (`*Kernels.swift`, `Kernels/`): everything else reads and writes a Buffer through
// its checked subscript, `array`, the copy helpers or `withSpan`/`withMutableSpan`.

/// A fixed-size heap buffer owned by a final class: kernels take its base pointer once and index it
/// freely, with no copy-on-write, uniqueness or exclusivity checks in the loop and a pointer that
/// stays valid for the owner's lifetime. Storage starts on a 64-byte (cache-line) boundary.
/// Use only for scratch and engine-internal storage; outside kernel files, use the span accessors.
public final class Buffer<Element>: @unchecked Sendable {
    /// Base address (valid while `self` lives; re-read after `resize`).
    /// For kernel files only (package-visible, never public).
    @usableFromInline package private(set) var base: UnsafeMutablePointer<Element>
    /// Number of elements.
    public private(set) var count: Int

    public init(count: Int, repeating value: Element) {
        self.count = count
        base = Self.allocate(count)
        base.initialize(repeating: value, count: count)
    }

    public init(_ values: [Element]) {
        count = values.count
        base = Self.allocate(values.count)
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { base.initialize(from: b, count: $0.count) } }
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Element> {
        let bytes = max(count, 1) * MemoryLayout<Element>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: max(64, MemoryLayout<Element>.alignment))
        return raw.bindMemory(to: Element.self, capacity: max(count, 1))
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Replaces the contents (and size) with `values`.
    public func replace(with values: [Element]) {
        base.deinitialize(count: count)
        if values.count > count || values.count == 0 {
            base.deallocate()
            base = Self.allocate(values.count)
        }
        count = values.count
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { base.initialize(from: b, count: $0.count) } }
    }

    /// Resizes to `newCount` elements all equal to `value`.
    public func reset(count newCount: Int, repeating value: Element) {
        base.deinitialize(count: count)
        if newCount > count {
            base.deallocate()
            base = Self.allocate(newCount)
        }
        count = newCount
        base.initialize(repeating: value, count: newCount)
    }

    /// Makes room for at least `minimumCount` elements, keeping the contents when there already is;
    /// when it must grow, it grows to 9/8 of that (filled with `value`), so a list that fluctuates in
    /// size does not reallocate (and page-fault) at every rebuild.
    public func reserve(atLeast minimumCount: Int, repeating value: Element) {
        if minimumCount > count { reset(count: minimumCount + minimumCount / 8, repeating: value) }
    }

    public subscript(i: Int) -> Element {
        get { precondition(i >= 0 && i < count); return base[i] }
        set { precondition(i >= 0 && i < count); base[i] = newValue }
    }

    /// A copy of the contents.
    public var array: [Element] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Calls `body` with a read-only span over the contents (valid for the call only).
    @inlinable @inline(__always)
    public func withSpan<R, E: Error>(_ body: (Span<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: base, count: count).span)
    }

    /// Calls `body` with a mutable span over the contents (valid for the call only).
    @inlinable @inline(__always)
    public func withMutableSpan<R, E: Error>(_ body: (inout MutableSpan<Element>) throws(E) -> R) throws(E) -> R {
        let b = UnsafeMutableBufferPointer(start: base, count: count)
        var span = b.mutableSpan
        return try body(&span)
    }

    /// Copies the contents of `other` (same count) into this buffer.
    @inlinable @inline(__always)
    public func copy(from other: Buffer<Element>) {
        precondition(other.count == count, "copy between buffers of \(other.count) and \(count) elements")
        base.update(from: other.base, count: count)
    }

    /// Copies `values` (same count) into this buffer, keeping its storage.
    @inlinable
    public func copy(from values: [Element]) {
        precondition(values.count == count, "copy of \(values.count) values into a buffer of \(count)")
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { base.update(from: b, count: count) } }
    }

    /// Copies the contents into `values` (resized to `count` if needed).
    @inlinable
    public func copy(to values: inout [Element]) {
        if values.count != count { values = array; return }
        values.withUnsafeMutableBufferPointer { if let b = $0.baseAddress { b.update(from: base, count: count) } }
    }
}
