package io.caravan.skydive.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code write file}: each object becomes {@code <directory>/<bucket>/<key>}, written to a hidden
 * temporary file beside it and renamed into place, so a reader never sees half an object. Its
 * content type, encoding and metadata go to {@code <key>.meta.json} beside it (written first, so
 * an object file always has its metadata). For operators without an object store.
 */
public final class FileObjectWriter implements ObjectWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path directory;

    public FileObjectWriter(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public void write(StoredObject object) throws IOException {
        Path target = directory.resolve(object.bucket()).resolve(object.key()).normalize();
        if (!target.startsWith(directory)) {
            throw new IOException("object " + object.bucket() + "/" + object.key() + " would leave " + directory);
        }
        Files.createDirectories(target.getParent());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("content-type", object.contentType());
        meta.put("content-encoding", object.contentEncoding());
        meta.put("metadata", object.metadata());
        replace(target.resolveSibling(target.getFileName() + ".meta.json"), MAPPER.writeValueAsBytes(meta));
        replace(target, object.data());
    }

    private static void replace(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, data);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String describe() {
        return "files under " + directory;
    }

    public Path directory() {
        return directory;
    }
}
