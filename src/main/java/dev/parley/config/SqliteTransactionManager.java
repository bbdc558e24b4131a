package dev.parley.config;

import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * SQLite lets one transaction write at a time and makes the others poll for the lock, in no
 * particular order: under load a writer can lose the race again and again until its busy
 * timeout runs out. Parley queues its own write transactions on a fair lock instead, so they
 * take turns in arrival order and each waits for the ones ahead of it only, without holding a
 * pooled connection while it waits. Read-only transactions and plain reads do not queue; WAL
 * lets them run beside the writer.
 */
class SqliteTransactionManager extends JdbcTransactionManager {

    private final ReentrantLock writers = new ReentrantLock(true);

    SqliteTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        boolean writes = !definition.isReadOnly();
        if (writes) {
            writers.lock();
        }
        try {
            super.doBegin(transaction, definition);
        } catch (RuntimeException | Error e) {
            if (writes) {
                writers.unlock();
            }
            throw e;
        }
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        try {
            super.doCleanupAfterCompletion(transaction);
        } finally {
            if (writers.isHeldByCurrentThread()) {
                writers.unlock();
            }
        }
    }
}
