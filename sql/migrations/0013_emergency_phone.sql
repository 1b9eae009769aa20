-- The number a tenant calls when the home is unsafe outside office hours (issue 13, point 2):
-- shown on the acute report's confirmation at any hour. The CLI checks it is a Dutch number
-- (service/domain/phone_numbers.py) and stores it as the administrator wrote it.
ALTER TABLE corporations
    ADD COLUMN emergency_phone text CHECK (emergency_phone ~ '^\+?[0-9][0-9 ().-]{2,24}$');
