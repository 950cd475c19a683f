/// A fixed-size heap buffer owned by a final class: kernels take its base pointer once and index it
/// freely, with no copy-on-write, uniqueness or exclusivity checks in the loop and a pointer that
/// stays valid for the owner's lifetime. Storage starts on a 64-byte (cache-line) boundary.
/// Use only for scratch and engine-internal storage.
public final class Buffer<Element>: @unchecked Sendable {
    /// Base address (valid while `self` lives; re-read after `resize`).
    public private(set) var base: UnsafeMutablePointer<Element>
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
    public var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
