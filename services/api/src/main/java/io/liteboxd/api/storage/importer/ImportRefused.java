package io.liteboxd.api.storage.importer;

/** The target already holds LiteBoxd data that no import wrote: importing over it could lose either side's rows. */
class ImportRefused extends Exception {

    ImportRefused(String message) {
        super(message);
    }
}
