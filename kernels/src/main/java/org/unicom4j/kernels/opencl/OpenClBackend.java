package org.unicom4j.kernels.opencl;

import static org.unicom4j.kernels.opencl.ClCheck.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.Margin;

/**
 * The Backend on OpenCL C kernels through JOCL. Each kernel family lives in its own .cl resource, built
 * once per device context (shared by every backend open on that device) with work-group shapes from
 * {@link OpenClTuning}. Buffers are cl_mem allocations; a view is (cl_mem, element offset), passed to
 * kernels as two arguments. Commands go to one in-order queue, so kernels run in call order and a download
 * waits for the work before it.
 */
public final class OpenClBackend extends Backend {
    private static final Logger LOG = Logger.getLogger(OpenClBackend.class.getName());
    private final OpenClDevice device;
    private final OpenClTuning tuning;
    private final ClContext context;
    private final ClQueue queue;
    private final Set<ClStorage> open = ConcurrentHashMap.newKeySet();
    private final ClGemm gemm;
    private final ClElementwise elementwise;
    private final ClNormalization normalization;
    private final ClReductions reductions;
    private final ClSampledCosine sampledCosine;
    private final ClMarginSoftmax marginSoftmax;
    private volatile boolean closed;

    private OpenClBackend(OpenClDevice device, OpenClTuning tuning, boolean profiling) {
        this.device = device;
        this.tuning = tuning;
        this.context = ClContext.acquire(device);
        String options;
        try {
            options = tuning.buildOptions() + ClPlatforms.precisionOptions(context.deviceId);
            this.queue = new ClQueue(context, profiling);
        } catch (RuntimeException e) {
            context.release();
            throw e;
        }
        this.gemm = new ClGemm(this, queue, tuning, options);
        this.elementwise = new ClElementwise(queue, tuning, options);
        this.normalization = new ClNormalization(queue, tuning, options);
        this.reductions = new ClReductions(queue, tuning, options);
        this.sampledCosine = new ClSampledCosine(queue, gemm, tuning, options);
        this.marginSoftmax = new ClMarginSoftmax(queue, tuning, options);
    }

    /**
     * The first GPU of any platform, else the first device of any kind. Throws IllegalStateException
     * saying what is missing (the OpenCL library, any platform, any device) when there is none.
     */
    public static OpenClBackend open() {
        List<OpenClDevice> devices = OpenClDevice.list();
        if (devices.isEmpty()) {
            List<String> platforms = ClPlatforms.platformNames();
            throw new IllegalStateException(platforms.isEmpty()
                    ? "no OpenCL platform is installed (the ICD loader found none; install a GPU driver or "
                    + "pocl-opencl-icd)"
                    : "the OpenCL platform(s) " + platforms + " expose no device");
        }
        return open(OpenClDevice.preferred(devices));
    }

    /**
     * A backend on the first GPU of any platform; empty when there is no OpenCL or no GPU, or when the GPU
     * fails to open (logged as a warning, so that "auto" still falls back to the CPU).
     */
    public static Optional<Backend> openGpu() {
        try {
            Optional<OpenClDevice> gpu = OpenClDevice.list().stream()
                    .filter(d -> d.kind() == OpenClDevice.Kind.GPU).findFirst();
            return gpu.map(OpenClBackend::open);
        } catch (IllegalStateException e) {
            if (!e.getMessage().startsWith("no OpenCL library")) {
                LOG.warning("OpenCL GPU unavailable: " + e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** A backend on {@code device} with the work-group shapes suited to its type. */
    public static OpenClBackend open(OpenClDevice device) {
        return open(device, OpenClTuning.forDevice(device), false);
    }

    /**
     * A backend on {@code device} with explicit work-group shapes; with {@code profiling}, every launch is
     * timed on the device (see {@link #kernelTimes()}).
     */
    public static OpenClBackend open(OpenClDevice device, OpenClTuning tuning, boolean profiling) {
        return new OpenClBackend(device, tuning, profiling);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String description() {
        String shapes = tuning.localTiles() ? "local-memory tiles" : "packed register blocks";
        return "opencl: " + device.summary() + ", " + shapes;
    }

    public OpenClDevice device() {
        return device;
    }

    public OpenClTuning tuning() {
        return tuning;
    }

    /** Summed device time per kernel since opening, as of the last {@link #finish()}; empty unless profiling. */
    public Map<String, KernelTime> kernelTimes() {
        KernelProfile profile = queue.profile();
        return profile == null ? Map.of() : profile.totals();
    }

    /** Profiling events not yet read and released (0 after {@link #finish()}). */
    public int pendingEvents() {
        KernelProfile profile = queue.profile();
        return profile == null ? 0 : profile.pendingEvents();
    }

    /** Programs compiled in this JVM so far by every OpenCL backend together (they are cached per device). */
    public static long programBuilds() {
        return ClContext.programBuilds();
    }

    @Override
    public void finish() {
        queue.finish();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // every release is attempted; the first failure is reported once nothing is left to leak
        RuntimeException failed = null;
        for (ClStorage storage : open) {
            failed = attempt(failed, storage::release);
        }
        open.clear();
        failed = attempt(failed, queue::release);
        failed = attempt(failed, context::release);
        if (failed != null) {
            throw failed;
        }
    }

    private static RuntimeException attempt(RuntimeException failed, Runnable release) {
        try {
            release.run();
            return failed;
        } catch (RuntimeException e) {
            return failed == null ? e : failed;
        }
    }

    // ------------------------------------------------------------------ memory

    @Override
    protected DeviceFloats doAllocFloats(long length) {
        return new ClFloats(this, allocate("allocFloats", length, true), 0, (int) length, true);
    }

    @Override
    protected DeviceInts doAllocInts(long length) {
        return new ClInts(this, allocate("allocInts", length, true), 0, (int) length, true);
    }

    /**
     * A float scratch buffer for one call, zero-filled or not (freed by the caller; kernels already queued
     * keep it alive until they finish).
     */
    ClFloats scratch(String kernel, int length, boolean zeroed) {
        return new ClFloats(this, allocate(kernel, length, zeroed), 0, length, true);
    }

    private ClStorage allocate(String kernel, long elements, boolean zeroed) {
        if (closed) {
            throw new IllegalStateException(kernel + ": the opencl backend has been closed");
        }
        long bytes = Math.max(1, elements) * Sizeof.cl_float; // a zero-length cl_mem is not allowed
        int[] status = new int[1];
        cl_mem mem = CL.clCreateBuffer(context.context, CL.CL_MEM_READ_WRITE, bytes, null, status);
        check(kernel + ": clCreateBuffer(" + bytes + " bytes on " + device.deviceName() + ")", status[0]);
        ClStorage storage = new ClStorage(mem, elements);
        if (zeroed) {
            try {
                check(kernel + ": clEnqueueFillBuffer(zeros)", CL.clEnqueueFillBuffer(queue.queue, mem,
                        Pointer.to(new int[] {0}), Sizeof.cl_int, 0, bytes, 0, null, null));
            } catch (RuntimeException e) {
                storage.release();
                throw e;
            }
        }
        open.add(storage);
        return storage;
    }

    void release(ClStorage storage) {
        open.remove(storage);
        storage.release();
    }

    @Override
    protected void doUpload(float[] src, int srcOffset, DeviceFloats dst) {
        ClFloats d = (ClFloats) dst;
        write("upload", d.storage, d.offset, Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_float),
                dst.length());
    }

    @Override
    protected void doUpload(int[] src, int srcOffset, DeviceInts dst) {
        ClInts d = (ClInts) dst;
        write("upload", d.storage, d.offset, Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_int),
                dst.length());
    }

    @Override
    protected void doDownload(DeviceFloats src, float[] dst, int dstOffset) {
        ClFloats s = (ClFloats) src;
        read("download", s.storage, s.offset, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_float),
                src.length());
    }

    @Override
    protected void doDownload(DeviceInts src, int[] dst, int dstOffset) {
        ClInts s = (ClInts) src;
        read("download", s.storage, s.offset, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_int),
                src.length());
    }

    private void write(String kernel, ClStorage storage, int offset, Pointer host, long elements) {
        if (elements > 0) {
            check(kernel + ": clEnqueueWriteBuffer", CL.clEnqueueWriteBuffer(queue.queue, storage.mem(), true,
                    (long) offset * 4, elements * 4, host, 0, null, null));
        }
    }

    /** A blocking read: the in-order queue runs every kernel queued before it first. */
    void read(String kernel, ClStorage storage, int offset, Pointer host, long elements) {
        if (elements > 0) {
            check(kernel + ": clEnqueueReadBuffer", CL.clEnqueueReadBuffer(queue.queue, storage.mem(), true,
                    (long) offset * 4, elements * 4, host, 0, null, null));
        }
    }

    @Override
    protected void doCopy(DeviceFloats src, DeviceFloats dst) {
        ClFloats s = (ClFloats) src, d = (ClFloats) dst;
        long n = src.length();
        if (n == 0 || (s.storage == d.storage && s.offset == d.offset)) {
            return;
        }
        if (s.storage == d.storage && Math.abs((long) s.offset - d.offset) < n) {
            // clEnqueueCopyBuffer refuses overlapping ranges: go through a temporary copy
            try (ClFloats tmp = scratch("copy", (int) n, false)) {
                copyBytes(s, tmp, n);
                copyBytes(tmp, d, n);
            }
            return;
        }
        copyBytes(s, d, n);
    }

    private void copyBytes(ClFloats s, ClFloats d, long n) {
        check("copy: clEnqueueCopyBuffer", CL.clEnqueueCopyBuffer(queue.queue, s.storage.mem(), d.storage.mem(),
                (long) s.offset * 4, (long) d.offset * 4, n * 4, 0, null, null));
    }

    @Override
    protected void doFill(DeviceFloats x, float value) {
        ClFloats b = (ClFloats) x;
        if (x.length() > 0) {
            check("fill: clEnqueueFillBuffer", CL.clEnqueueFillBuffer(queue.queue, b.storage.mem(),
                    Pointer.to(new float[] {value}), Sizeof.cl_float, (long) b.offset * 4, x.length() * 4, 0, null,
                    null));
        }
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceFloats a, int lda,
                          long strideA, DeviceFloats b, int ldb, long strideB, float beta, DeviceFloats c, int ldc,
                          long strideC, int batch) {
        gemm.run(transA, transB, m, n, k, alpha, (ClFloats) a, lda, strideA, (ClFloats) b, ldb, strideB, beta,
                (ClFloats) c, ldc, strideC, batch);
    }

    // ------------------------------------------------------------------ element-wise

    @Override
    protected void doAddBias(DeviceFloats x, DeviceFloats bias, int rows, int cols) {
        elementwise.addBias((ClFloats) x, (ClFloats) bias, rows, cols);
    }

    @Override
    protected void doBiasGradient(DeviceFloats dy, int rows, int cols, DeviceFloats dBias) {
        elementwise.biasGradient((ClFloats) dy, rows, cols, (ClFloats) dBias);
    }

    @Override
    protected void doRelu6(DeviceFloats x, DeviceFloats y, int n) {
        elementwise.relu6((ClFloats) x, (ClFloats) y, n);
    }

    @Override
    protected void doRelu6Backward(DeviceFloats x, DeviceFloats dy, DeviceFloats dx, int n) {
        elementwise.relu6Backward((ClFloats) x, (ClFloats) dy, (ClFloats) dx, n);
    }

    @Override
    protected void doAdd(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n) {
        elementwise.add((ClFloats) a, (ClFloats) b, (ClFloats) out, n);
    }

    @Override
    protected void doScale(DeviceFloats x, float alpha, int n) {
        elementwise.scale((ClFloats) x, alpha, n);
    }

    @Override
    protected void doAxpy(float alpha, DeviceFloats x, DeviceFloats y, int n) {
        elementwise.axpy(alpha, (ClFloats) x, (ClFloats) y, n);
    }

    @Override
    protected void doGatherRows(DeviceFloats src, int srcRows, DeviceInts idx, int n, DeviceFloats dst, int cols) {
        elementwise.gatherRows((ClFloats) src, srcRows, (ClInts) idx, n, (ClFloats) dst, cols);
    }

    @Override
    protected void doPatchify(DeviceFloats images, DeviceFloats patches, int batch, int channels, int height,
                              int width, int patch) {
        elementwise.patchify((ClFloats) images, (ClFloats) patches, batch, channels, height, width, patch);
    }

    @Override
    protected void doAdamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr,
                           float beta1, float beta2, float eps, float weightDecay, int step) {
        elementwise.adamW((ClFloats) param, (ClFloats) grad, (ClFloats) m, (ClFloats) v, n, lr, beta1, beta2, eps,
                weightDecay, step);
    }

    // ------------------------------------------------------------------ normalisation and softmax

    @Override
    protected void doLayerNorm(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                               DeviceFloats mean, DeviceFloats rstd, int rows, int cols, float eps) {
        normalization.layerNorm((ClFloats) x, (ClFloats) gamma, (ClFloats) beta, (ClFloats) y, (ClFloats) mean,
                (ClFloats) rstd, rows, cols, eps);
    }

    @Override
    protected void doLayerNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                       DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                       int rows, int cols) {
        normalization.layerNormBackward((ClFloats) dy, (ClFloats) x, (ClFloats) gamma, (ClFloats) mean,
                (ClFloats) rstd, (ClFloats) dx, (ClFloats) dGamma, (ClFloats) dBeta, rows, cols);
    }

    @Override
    protected void doBatchNormTrain(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats y,
                                    DeviceFloats mean, DeviceFloats rstd, DeviceFloats runningMean,
                                    DeviceFloats runningVar, int rows, int cols, float eps, float momentum) {
        normalization.batchNormTrain((ClFloats) x, (ClFloats) gamma, (ClFloats) beta, (ClFloats) y, (ClFloats) mean,
                (ClFloats) rstd, (ClFloats) runningMean, (ClFloats) runningVar, rows, cols, eps, momentum);
    }

    @Override
    protected void doBatchNormEval(DeviceFloats x, DeviceFloats gamma, DeviceFloats beta, DeviceFloats runningMean,
                                   DeviceFloats runningVar, DeviceFloats y, int rows, int cols, float eps) {
        normalization.batchNormEval((ClFloats) x, (ClFloats) gamma, (ClFloats) beta, (ClFloats) runningMean,
                (ClFloats) runningVar, (ClFloats) y, rows, cols, eps);
    }

    @Override
    protected void doBatchNormBackward(DeviceFloats dy, DeviceFloats x, DeviceFloats gamma, DeviceFloats mean,
                                       DeviceFloats rstd, DeviceFloats dx, DeviceFloats dGamma, DeviceFloats dBeta,
                                       int rows, int cols) {
        normalization.batchNormBackward((ClFloats) dy, (ClFloats) x, (ClFloats) gamma, (ClFloats) mean,
                (ClFloats) rstd, (ClFloats) dx, (ClFloats) dGamma, (ClFloats) dBeta, rows, cols);
    }

    @Override
    protected void doL2NormalizeRows(DeviceFloats x, DeviceFloats y, DeviceFloats norms, int rows, int cols,
                                     float eps) {
        normalization.l2NormalizeRows((ClFloats) x, (ClFloats) y, (ClFloats) norms, rows, cols, eps);
    }

    @Override
    protected void doL2NormalizeRowsBackward(DeviceFloats y, DeviceFloats norms, DeviceFloats dy, DeviceFloats dx,
                                             int rows, int cols) {
        normalization.l2NormalizeRowsBackward((ClFloats) y, (ClFloats) norms, (ClFloats) dy, (ClFloats) dx, rows,
                cols);
    }

    @Override
    protected void doSoftmaxRows(DeviceFloats x, DeviceFloats y, int rows, int cols, float scale) {
        normalization.softmaxRows((ClFloats) x, (ClFloats) y, rows, cols, scale);
    }

    @Override
    protected void doSoftmaxRowsBackward(DeviceFloats y, DeviceFloats dy, DeviceFloats dx, int rows, int cols,
                                         float scale) {
        normalization.softmaxRowsBackward((ClFloats) y, (ClFloats) dy, (ClFloats) dx, rows, cols, scale);
    }

    // ------------------------------------------------------------------ reductions and search

    @Override
    protected void doRowSum(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        reductions.rowSum((ClFloats) x, (ClFloats) out, rows, cols);
    }

    @Override
    protected void doRowMax(DeviceFloats x, DeviceFloats out, int rows, int cols) {
        reductions.rowMax((ClFloats) x, (ClFloats) out, rows, cols);
    }

    @Override
    protected void doRowArgExtreme(DeviceFloats x, DeviceInts out, int rows, int cols, boolean max) {
        reductions.rowArgExtreme((ClFloats) x, (ClInts) out, rows, cols, max);
    }

    @Override
    protected void doTopK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                          DeviceInts indices) {
        reductions.topK((ClFloats) x, rows, cols, k, largest, (ClFloats) values, (ClInts) indices);
    }

    @Override
    protected void doSquaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        if (n == 0 || m == 0) {
            return;
        }
        // ||x||^2 + ||y||^2 - 2 x.y: the cross term is a GEMM, the norms a row kernel, the sum one pass
        try (ClFloats norms = scratch("squaredL2Distances", n + m, false)) {
            reductions.squaredNorms((ClFloats) x, norms, n, d);
            ClFloats yNorms = (ClFloats) norms.slice(n, m);
            reductions.squaredNorms((ClFloats) y, yNorms, m, d);
            gemm.run(false, true, n, m, d, -2f, (ClFloats) x, d, 0, (ClFloats) y, d, 0, 0f, (ClFloats) out, m, 0, 1);
            reductions.addNormsClamp((ClFloats) out, norms, yNorms, n, m);
        }
    }

    // ------------------------------------------------------------------ the sampled-prototype margin softmax

    @Override
    protected void doSampledCosineLogits(DeviceFloats e, int batch, int embDim, DeviceFloats w, int classes,
                                         DeviceInts classIdx, int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                         DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats cos) {
        sampledCosine.forward((ClFloats) e, batch, embDim, (ClFloats) w, (ClInts) classIdx, sampledClasses,
                (ClInts) dimIdx, sampledDims, (ClFloats) eNorms, (ClFloats) wNorms, (ClFloats) cos);
    }

    @Override
    protected void doSampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats e, int batch,
                                                 int embDim, DeviceFloats w, int classes, DeviceInts classIdx,
                                                 int sampledClasses, DeviceInts dimIdx, int sampledDims,
                                                 DeviceFloats eNorms, DeviceFloats wNorms, DeviceFloats dE,
                                                 DeviceFloats dW) {
        try (ClFloats projections = scratch("sampledCosineLogitsBackward", batch + sampledClasses, false)) {
            sampledCosine.backward((ClFloats) dCos, (ClFloats) cos, (ClFloats) e, batch, embDim, (ClFloats) w,
                    (ClInts) classIdx, sampledClasses, (ClInts) dimIdx, sampledDims, (ClFloats) eNorms,
                    (ClFloats) wNorms, (ClFloats) dE, (ClFloats) dW, projections);
        }
    }

    @Override
    protected float doMarginSoftmaxLoss(DeviceFloats cos, DeviceInts labels, int rows, int cols, Margin margin,
                                        DeviceFloats dCos) {
        try (ClFloats rowLoss = scratch("marginSoftmaxLoss", rows + 1, false)) {
            marginSoftmax.run((ClFloats) cos, (ClInts) labels, rows, cols, margin, (ClFloats) dCos, rowLoss);
            float[] loss = new float[1];
            read("marginSoftmaxLoss", rowLoss.storage, rows, Pointer.to(loss), 1);
            return loss[0];
        }
    }
}
