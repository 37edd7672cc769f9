package org.unicom4j.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Per-thread scratch objects handed to the chunks of a {@link ParallelLoop}: a chunk borrows one for its
 * duration and gives it back. A ParallelLoop runs at most {@code threads} chunks at once (and any other thread
 * calling it meanwhile runs its loop inline, as one chunk), so after the first calls the pool holds enough and
 * borrowing allocates nothing.
 */
final class WorkspacePool<T> {
    private final Supplier<T> factory;
    private final List<T> all = new ArrayList<>();
    private final List<Boolean> borrowed = new ArrayList<>();

    WorkspacePool(Supplier<T> factory) {
        this.factory = factory;
    }

    synchronized T borrow() {
        return borrow(null);
    }

    /** A workspace not lent out and accepted by {@code usable} (null accepts any); a new one if none is. */
    synchronized T borrow(Predicate<T> usable) {
        for (int i = 0; i < all.size(); i++) {
            if (!borrowed.get(i) && (usable == null || usable.test(all.get(i)))) {
                borrowed.set(i, Boolean.TRUE);
                return all.get(i);
            }
        }
        T fresh = factory.get();
        all.add(fresh);
        borrowed.add(Boolean.TRUE);
        return fresh;
    }

    synchronized void giveBack(T workspace) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == workspace) {
                borrowed.set(i, Boolean.FALSE);
                return;
            }
        }
        throw new IllegalStateException("workspace was not borrowed from this pool");
    }

    /** Every workspace created so far (for reductions after a loop has finished). */
    synchronized int size() {
        return all.size();
    }

    synchronized T get(int i) {
        return all.get(i);
    }
}
